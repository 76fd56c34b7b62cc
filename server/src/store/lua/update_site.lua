-- ARGV: site id, expected site JSON, new site JSON.
-- Reply: ok | retry (changed since read) | not_found.
local key = redis.call('HGET', P .. 'site_ids', ARGV[1])
if not key then return { 'not_found' } end
if redis.call('HGET', P .. 'sites', key) ~= ARGV[2] then return { 'retry' } end
redis.call('HSET', P .. 'sites', key, ARGV[3])
return { 'ok' }
