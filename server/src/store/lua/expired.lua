-- ARGV: site id, cut-off time, most visitors to return, most
-- conversations to look at. The site's conversations created before the
-- cut-off, oldest first, that are resolved and whose last message (or
-- start) is before it too: their visitors (Store::expired_visitors).
-- Reply: ok, visitor ids.
local site, before = ARGV[1], tonumber(ARGV[2])
local limit, checks = tonumber(ARGV[3]), tonumber(ARGV[4])
local out = { 'ok' }
local ids = redis.call('ZRANGEBYSCORE', P .. 'created:' .. site, '-inf', '(' .. ARGV[2],
  'LIMIT', 0, checks)
for _, id in ipairs(ids) do
  if #out > limit then break end
  local c = redis.call('HMGET', conv_key(id), 'status', 'visitor', 'created_at')
  if c[1] == 'resolved' and c[2] then
    local last = redis.call('LINDEX', msgs_key(id), -1)
    local at = last and cjson.decode(last).sent_at or tonumber(c[3])
    if at < before then out[#out + 1] = cjson.decode(c[2]).id end
  end
end
return out
