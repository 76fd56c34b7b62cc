-- ARGV: conversation id, field (visitor_read | agent_read |
-- visitor_delivered | agent_delivered), the delivered field a read raises
-- with it ('' for a delivered mark), seq.
-- Reply: ok, moved ('1'/'0'), conversation | not_found.
-- Mirrors store::embedded::sql::mark: forward only, capped at the last
-- message; a read is a delivery.
local id, field, also = ARGV[1], ARGV[2], ARGV[3]
local ck = conv_key(id)
if redis.call('EXISTS', ck) == 0 then return { 'not_found' } end
local seq = math.min(tonumber(ARGV[4]), redis.call('LLEN', msgs_key(id)))
local current = tonumber(redis.call('HGET', ck, field) or '0')
if seq <= current then return { 'ok', '0', conv_view(id) } end
redis.call('HSET', ck, field, seq)
if also ~= '' and tonumber(redis.call('HGET', ck, also) or '0') < seq then
  redis.call('HSET', ck, also, seq)
end
redis.call('HINCRBY', ck, 'version', 1)
return { 'ok', '1', conv_view(id) }
