-- ARGV: visitor id, at, page JSON ({url, title, at}), referrer, user agent,
-- time zone ('' for none), visit gap (ms), pages kept.
-- Reply: ok | not_found. Mirrors store::embedded::sql::page_viewed.
local v, at, page = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local referrer, ua, tz = ARGV[4], ARGV[5], ARGV[6]
local gap, kept = tonumber(ARGV[7]), tonumber(ARGV[8])
if redis.call('EXISTS', P .. 'visitor:' .. v) == 0 then return { 'not_found' } end
local key = P .. 'vact:' .. v
local last = redis.call('HGET', key, 'last_seen')
if not last then
  redis.call('HSET', key, 'first_seen', ARGV[2], 'last_seen', ARGV[2], 'visits', 1)
  if referrer ~= '' then redis.call('HSET', key, 'referrer', referrer) end
else
  if at - tonumber(last) >= gap then
    redis.call('HINCRBY', key, 'visits', 1)
    if referrer ~= '' then redis.call('HSET', key, 'referrer', referrer)
    else redis.call('HDEL', key, 'referrer') end
  end
  if at > tonumber(last) then redis.call('HSET', key, 'last_seen', ARGV[2]) end
end
if ua ~= '' then redis.call('HSET', key, 'user_agent', ua) end
if tz ~= '' then redis.call('HSET', key, 'time_zone', tz) end
-- The same page again (a reload, a reconnect) is not another page.
local latest = redis.call('LINDEX', P .. 'vpages:' .. v, 0)
if latest then
  local a, b = cjson.decode(latest), cjson.decode(page)
  if a.url == b.url and present(a.title) == present(b.title) then return { 'ok' } end
end
redis.call('LPUSH', P .. 'vpages:' .. v, page)
redis.call('LTRIM', P .. 'vpages:' .. v, 0, kept - 1)
return { 'ok' }
