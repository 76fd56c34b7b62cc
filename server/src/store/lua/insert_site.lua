-- ARGV: site id, site key, site JSON. Both the key and the id are unique.
local id, key = ARGV[1], ARGV[2]
if redis.call('HEXISTS', P .. 'sites', key) == 1
    or redis.call('HEXISTS', P .. 'site_ids', id) == 1 then
  return { 'conflict' }
end
redis.call('HSET', P .. 'sites', key, ARGV[3])
redis.call('HSET', P .. 'site_ids', id, key)
return { 'ok' }
