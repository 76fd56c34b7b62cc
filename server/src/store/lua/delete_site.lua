-- ARGV: site id, batch size. Takes the site away at once (no new visitor
-- can say hello), then deletes up to `batch` of its conversations and
-- visitors per call, so a big site never blocks Redis for long; the caller
-- repeats until the reply says none are left.
-- Reply: ok, remaining (0 when done) | not_found (first call only).
local site, batch = ARGV[1], tonumber(ARGV[2])
local key = redis.call('HGET', P .. 'site_ids', site)
local convs, visitors = P .. 'site_convs:' .. site, P .. 'site_visitors:' .. site
if key then
  redis.call('HDEL', P .. 'sites', key)
  redis.call('HDEL', P .. 'site_ids', site)
elseif redis.call('EXISTS', convs) == 0 and redis.call('EXISTS', visitors) == 0 then
  return { 'not_found' }
end
for _, id in ipairs(redis.call('SPOP', convs, batch)) do
  delete_conversation(id, site)
end
for _, v in ipairs(redis.call('SPOP', visitors, batch)) do
  delete_visitor(v)
end
redis.call('DEL', P .. 'site_agents:' .. site)
redis.call('DEL', P .. 'articles:' .. site, P .. 'article_stats:' .. site)
-- Its canned responses (few: read them all).
local canned = redis.call('HGETALL', P .. 'canned')
for i = 1, #canned, 2 do
  local c = cjson.decode(canned[i + 1])
  if c.scope.kind == 'site' and c.scope.site == site then
    redis.call('HDEL', P .. 'canned', canned[i])
  end
end
return { 'ok', tostring(redis.call('SCARD', convs) + redis.call('SCARD', visitors)) }
