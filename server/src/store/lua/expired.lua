-- ARGV: site id, cut-off time, most visitors to return, page size,
-- offset. One page of the site's conversations created before the
-- cut-off, oldest first (from `offset`): the visitors of those resolved
-- and whose last message (or start) is before it too
-- (Store::expired_visitors pages through).
-- Reply: ok, more ("1": the page was full), visitor ids.
local site, before = ARGV[1], tonumber(ARGV[2])
local limit, page, offset = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local ids = redis.call('ZRANGEBYSCORE', P .. 'created:' .. site, '-inf', '(' .. ARGV[2],
  'LIMIT', offset, page)
local out = { 'ok', #ids == page and '1' or '0' }
for _, id in ipairs(ids) do
  if #out - 2 >= limit then break end
  local c = redis.call('HMGET', conv_key(id), 'status', 'visitor', 'created_at')
  if c[1] == 'resolved' and c[2] then
    local last = redis.call('LINDEX', msgs_key(id), -1)
    local at = last and cjson.decode(last).sent_at or tonumber(c[3])
    if at < before then out[#out + 1] = cjson.decode(c[2]).id end
  end
end
return out
