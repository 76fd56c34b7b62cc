-- ARGV: conversation id, store::StoredRating JSON. A resolved
-- conversation's survey answer (replacing an earlier one).
-- Reply: ok, conversation | not_found | not_resolved.
local id = ARGV[1]
local ck = conv_key(id)
local status = redis.call('HGET', ck, 'status')
if not status then return { 'not_found' } end
if status ~= 'resolved' then return { 'not_resolved' } end
redis.call('HSET', ck, 'rating', ARGV[2])
redis.call('HINCRBY', ck, 'version', 1)
return { 'ok', conv_view(id) }
