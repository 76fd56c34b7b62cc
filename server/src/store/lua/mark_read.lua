-- ARGV: conversation id, field (visitor_read | agent_read), seq.
-- Reply: ok, moved ('1'/'0'), conversation | not_found.
-- Mirrors store::embedded::sql::mark_read: forward only, capped at the
-- last message.
local id, field = ARGV[1], ARGV[2]
local ck = conv_key(id)
if redis.call('EXISTS', ck) == 0 then return { 'not_found' } end
local seq = math.min(tonumber(ARGV[3]), redis.call('LLEN', msgs_key(id)))
local current = tonumber(redis.call('HGET', ck, field) or '0')
if seq <= current then return { 'ok', '0', conv_view(id) } end
redis.call('HSET', ck, field, seq)
redis.call('HINCRBY', ck, 'version', 1)
return { 'ok', '1', conv_view(id) }
