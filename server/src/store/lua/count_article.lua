-- ARGV: site id, article id, counter ('o': opens, 'a': asked after).
-- Counts only while the article exists, so a count racing its deletion
-- leaves no stray figure behind.
-- Reply: ok.
local site, id, counter = ARGV[1], ARGV[2], ARGV[3]
if redis.call('HEXISTS', P .. 'articles:' .. site, id) == 1 then
  redis.call('HINCRBY', P .. 'article_stats:' .. site, id .. ':' .. counter, 1)
end
return { 'ok' }
