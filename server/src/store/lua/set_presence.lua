-- ARGV: agent id, presence.
if redis.call('HEXISTS', P .. 'agents', ARGV[1]) == 0 then
  return { 'not_found' }
end
redis.call('HSET', P .. 'presence', ARGV[1], ARGV[2])
return { 'ok' }
