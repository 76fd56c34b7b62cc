-- ARGV: agent id. Reply: ok, then each conversation put back at the front
-- of the queue, oldest first (see Store::requeue_agent).
local agent = ARGV[1]
local convs = {}
for _, id in ipairs(redis.call('SMEMBERS', P .. 'assigned:' .. agent)) do
  local c = redis.call('HMGET', conv_key(id), 'status', 'agent', 'created_at')
  if c[1] == 'assigned' and c[2] == agent then
    convs[#convs + 1] = { id = id, created = c[3] }
  end
end
-- Same order as the embedded store: (created_at, id), compared as Rust does.
table.sort(convs, function(a, b)
  if a.created ~= b.created then return tonumber(a.created) < tonumber(b.created) end
  return bytes_lt(a.id, b.id)
end)
-- LPUSH the newest first so the oldest ends at the very front.
for i = #convs, 1, -1 do
  local c = convs[i]
  local ck = conv_key(c.id)
  redis.call('HSET', ck, 'status', 'queued', 'queued_at', c.created)
  redis.call('HDEL', ck, 'agent', 'agent_name')
  redis.call('HINCRBY', ck, 'version', 1)
  redis.call('SREM', P .. 'assigned:' .. agent, c.id)
  redis.call('LPUSH', P .. 'queue', c.id)
end
redis.call('HSET', P .. 'loads', agent, 0)
local out = { 'ok' }
for _, c in ipairs(convs) do out[#out + 1] = conv_view(c.id) end
return out
