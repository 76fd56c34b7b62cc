-- ARGV: token hash, agent id, ttl in ms (> 0). The agent's session index
-- is pruned of sessions that expired, so it never grows without bound.
local h, agent, ttl = ARGV[1], ARGV[2], ARGV[3]
local index = P .. 'agent_sessions:' .. agent
for _, old in ipairs(redis.call('SMEMBERS', index)) do
  if redis.call('EXISTS', P .. 'session:' .. old) == 0 then redis.call('SREM', index, old) end
end
redis.call('SET', P .. 'session:' .. h, agent, 'PX', ttl)
redis.call('SADD', index, h)
return { 'ok' }
