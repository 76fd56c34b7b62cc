-- ARGV: token hash, new visitor id, site id, info JSON.
-- Reply: ok, the visitor id (the existing one if the token already has a
-- visitor on this site) | conflict (the token's visitor is on another site).
local token, id, site, info = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local existing = redis.call('HGET', P .. 'visitor_tokens', token)
if existing then
  if redis.call('HGET', P .. 'visitor:' .. existing, 'site') ~= site then return { 'conflict' } end
  return { 'ok', existing }
end
redis.call('HSET', P .. 'visitor:' .. id, 'site', site, 'info', info, 'token', token)
redis.call('HSET', P .. 'visitor_tokens', token, id)
redis.call('SADD', P .. 'site_visitors:' .. site, id)
return { 'ok', id }
