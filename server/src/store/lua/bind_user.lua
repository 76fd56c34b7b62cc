-- ARGV: visitor id, user id, its visitor_users field (`<site>\n<user>`).
-- Binds the visitor to the site's user unless the site already has a
-- visitor of that user (Store::bind_user).
-- Reply: ok, the user's visitor id, conversation view ('' when nothing
-- changed or the visitor has no conversation) | not_found | conflict (the
-- visitor is another user's).
local vid, user, ukey = ARGV[1], ARGV[2], ARGV[3]
local vk = P .. 'visitor:' .. vid
local v = redis.call('HMGET', vk, 'info', 'conv', 'ukey')
if not v[1] then return { 'not_found' } end
local holder = redis.call('HGET', P .. 'visitor_users', ukey)
if holder then return { 'ok', holder, '' } end
if v[3] then return { 'conflict' } end
local info = cjson.decode(v[1])
info.user_id = user
local json = cjson.encode(info)
redis.call('HSET', vk, 'info', json, 'ukey', ukey)
redis.call('HSET', P .. 'visitor_users', ukey, vid)
local id = v[2]
if not id then return { 'ok', vid, '' } end
local ck = conv_key(id)
if redis.call('EXISTS', ck) == 0 then return { 'ok', vid, '' } end
redis.call('HSET', ck, 'visitor', json)
redis.call('HINCRBY', ck, 'version', 1)
return { 'ok', vid, conv_view(id) }
