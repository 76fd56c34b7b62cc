-- ARGV: site id, article id, its JSON, 'insert' or 'update', the most
-- articles a site may have. An insert checks the cap and the id in the
-- same step as the write (two nodes adding at once cannot both take the
-- last place); an update never creates, so a deleted article stays gone.
-- Reply: ok | conflict | too_many | not_found.
local site, id, json, mode, cap = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local articles = P .. 'articles:' .. site
local exists = redis.call('HEXISTS', articles, id) == 1
if mode == 'insert' then
  if exists then return { 'conflict' } end
  if redis.call('HLEN', articles) >= cap then return { 'too_many' } end
elseif not exists then
  return { 'not_found' }
end
redis.call('HSET', articles, id, json)
return { 'ok' }
