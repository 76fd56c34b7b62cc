-- ARGV: conversation id, agent id, client id, stored message JSON. The
-- message's words are indexed later (index.lua): the conversation joins
-- `unindexed`.
-- Reply: ok, duplicate, seq, message, conversation.
local id, agent, cid, message = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local ck = conv_key(id)
if redis.call('EXISTS', ck) == 0 then return { 'not_found' } end
-- The agent's own earlier send (idempotency is per author) is a retry and
-- gets its ack even after a reassignment; another party's client id is
-- not looked at, so it can neither fetch nor shadow their message.
local field = 'a:' .. agent .. ':' .. cid
local seq = redis.call('HGET', cids_key(id), field)
if seq then
  return { 'ok', '1', seq, redis.call('LINDEX', msgs_key(id), tonumber(seq) - 1), conv_view(id) }
end
local c = redis.call('HMGET', ck, 'status', 'agent')
if c[1] == 'resolved' then return { 'resolved' } end
if c[1] ~= 'assigned' or c[2] ~= agent then return { 'forbidden' } end
seq = redis.call('RPUSH', msgs_key(id), message)
redis.call('HINCRBY', ck, 'version', 1)
redis.call('HSET', cids_key(id), field, seq)
redis.call('SADD', P .. 'unindexed', id)
return { 'ok', '0', tostring(seq), message, conv_view(id) }
