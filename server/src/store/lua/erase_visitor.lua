-- ARGV: visitor id. Erases the visitor and their conversation (privacy:
-- an admin's request or the site's retention; Store::erase_visitor).
-- Reply: ok | not_found.
local vid = ARGV[1]
local vk = P .. 'visitor:' .. vid
if redis.call('EXISTS', vk) == 0 then return { 'not_found' } end
local v = redis.call('HMGET', vk, 'site', 'conv')
local site, conv = v[1], v[2]
if conv then
  delete_conversation(conv, site)
  redis.call('SREM', P .. 'site_convs:' .. site, conv)
end
delete_visitor(vid)
redis.call('SREM', P .. 'site_visitors:' .. site, vid)
return { 'ok' }
