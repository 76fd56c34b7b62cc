-- ARGV: conversation id, the seq its messages are now indexed up to,
-- then the folded words of those messages (index_words). The caller read
-- the messages after the conversation's `indexed` field; several nodes may
-- do so at once (indexing twice changes nothing). The conversation leaves
-- `unindexed` only if no message came after `upto`, so a message appended
-- meanwhile keeps it listed. Reply: ok.
local id, upto = ARGV[1], tonumber(ARGV[2])
local ck = conv_key(id)
if redis.call('EXISTS', ck) == 0 then
  -- Deleted with its site since it was listed.
  redis.call('SREM', P .. 'unindexed', id)
  return { 'ok' }
end
index_words(id, 3)
if upto > tonumber(redis.call('HGET', ck, 'indexed') or '0') then
  redis.call('HSET', ck, 'indexed', upto)
end
if redis.call('LLEN', msgs_key(id)) <= upto then
  redis.call('SREM', P .. 'unindexed', id)
end
return { 'ok' }
