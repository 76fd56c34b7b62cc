-- ARGV: visitor id, name ('' for none), email, '1' to mark the
-- conversation as left while offline. The contact goes into the visitor's
-- info JSON and the copy their conversation keeps for summaries.
-- Reply: ok, conversation view ('' when they have none) | not_found.
local vk = P .. 'visitor:' .. ARGV[1]
local v = redis.call('HMGET', vk, 'info', 'conv')
if not v[1] then return { 'not_found' } end
local info = cjson.decode(v[1])
if ARGV[2] ~= '' then info.name = ARGV[2] else info.name = nil end
info.email = ARGV[3]
local json = cjson.encode(info)
redis.call('HSET', vk, 'info', json)
local id = v[2]
if not id then return { 'ok', '' } end
local ck = conv_key(id)
if redis.call('EXISTS', ck) == 0 then return { 'ok', '' } end
redis.call('HSET', ck, 'visitor', json)
if ARGV[4] == '1' then redis.call('HSET', ck, 'left_message', '1') end
redis.call('HINCRBY', ck, 'version', 1)
return { 'ok', conv_view(id) }
