-- ARGV: agent id, token hash to keep ('' for none).
local index = P .. 'agent_sessions:' .. ARGV[1]
for _, h in ipairs(redis.call('SMEMBERS', index)) do
  if h ~= ARGV[2] then
    redis.call('DEL', P .. 'session:' .. h)
    redis.call('SREM', index, h)
  end
end
return { 'ok' }
