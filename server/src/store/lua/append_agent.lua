-- ARGV: conversation id, agent id, client id, stored message JSON.
-- Reply: ok, duplicate, seq, message.
local id, agent, cid, message = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local ck = conv_key(id)
if redis.call('EXISTS', ck) == 0 then return { 'not_found' } end
-- Before the ownership rules: a retry after a reassignment gets its ack.
local seq = redis.call('HGET', cids_key(id), cid)
if seq then
  return { 'ok', '1', seq, redis.call('LINDEX', msgs_key(id), tonumber(seq) - 1) }
end
local c = redis.call('HMGET', ck, 'status', 'agent')
if c[1] == 'resolved' then return { 'resolved' } end
if c[1] ~= 'assigned' or c[2] ~= agent then return { 'forbidden' } end
seq = redis.call('RPUSH', msgs_key(id), message)
redis.call('HSET', cids_key(id), cid, seq)
return { 'ok', '0', tostring(seq), message }
