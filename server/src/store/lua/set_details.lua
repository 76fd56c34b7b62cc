-- ARGV: visitor id, name ('' keeps it), email ('' keeps it), attributes
-- JSON object (added to those kept), '1' to mark the conversation as left
-- while offline. The details go into the visitor's info JSON and the copy
-- their conversation keeps for summaries.
-- Reply: ok, conversation view ('' when they have none) | not_found.
local vk = P .. 'visitor:' .. ARGV[1]
local v = redis.call('HMGET', vk, 'info', 'conv')
if not v[1] then return { 'not_found' } end
local info = cjson.decode(v[1])
if ARGV[2] ~= '' then info.name = ARGV[2] end
if ARGV[3] ~= '' then info.email = ARGV[3] end
local added = cjson.decode(ARGV[4])
if next(added) ~= nil then
  local kept = info.attributes
  if kept == nil or kept == cjson.null then kept = {} end
  for k, value in pairs(added) do kept[k] = value end
  info.attributes = kept
end
local json = cjson.encode(info)
redis.call('HSET', vk, 'info', json)
local id = v[2]
if not id then return { 'ok', '' } end
local ck = conv_key(id)
if redis.call('EXISTS', ck) == 0 then return { 'ok', '' } end
redis.call('HSET', ck, 'visitor', json)
if ARGV[5] == '1' then redis.call('HSET', ck, 'left_message', '1') end
redis.call('HINCRBY', ck, 'version', 1)
return { 'ok', conv_view(id) }
