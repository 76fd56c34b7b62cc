-- ARGV: visitor id, client id, stored message JSON, now, id for a new
-- conversation, the site's queue cap. The message's words are indexed
-- later (index.lua): the conversation joins `unindexed`. Reply: ok, duplicate, entered_queue,
-- seq, message, conversation | queue_full (nothing stored).
local vid, cid, message, now, new_id = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local cap = tonumber(ARGV[6])
local vk = P .. 'visitor:' .. vid
if redis.call('EXISTS', vk) == 0 then return { 'not_found' } end
local conv = redis.call('HGET', vk, 'conv')
if conv then
  local seq = redis.call('HGET', cids_key(conv), 'v:' .. cid)
  if seq then
    local original = redis.call('LINDEX', msgs_key(conv), tonumber(seq) - 1)
    return { 'ok', '1', '0', seq, original, conv_view(conv) }
  end
end
local site = redis.call('HGET', vk, 'site')
local enters = not conv or redis.call('HGET', conv_key(conv), 'status') == 'resolved'
if enters then
  local queued = 0
  for _, id in ipairs(redis.call('LRANGE', P .. 'queue', 0, -1)) do
    if redis.call('HGET', conv_key(id), 'site') == site then queued = queued + 1 end
  end
  if queued >= cap then return { 'queue_full' } end
end
local entered = '0'
if not conv then
  conv = new_id
  local v = redis.call('HMGET', vk, 'site', 'info')
  redis.call('HSET', conv_key(conv), 'site', v[1], 'visitor', v[2], 'created_at', now)
  redis.call('HSET', vk, 'conv', conv)
  redis.call('SADD', P .. 'site_convs:' .. v[1], conv)
  redis.call('ZADD', P .. 'created', now, conv)
  redis.call('ZADD', P .. 'created:' .. v[1], now, conv)
  enqueue(conv, now)
  entered = '1'
elseif redis.call('HGET', conv_key(conv), 'status') == 'resolved' then
  enqueue(conv, now)
  entered = '1'
end
-- The list length after the push is the next seq: gap-free by construction.
local seq = redis.call('RPUSH', msgs_key(conv), message)
redis.call('HINCRBY', conv_key(conv), 'version', 1)
redis.call('HSET', cids_key(conv), 'v:' .. cid, seq)
redis.call('SADD', P .. 'unindexed', conv)
return { 'ok', '0', entered, tostring(seq), message, conv_view(conv) }
