-- ARGV: id, email, record JSON, capacity, name.
local id, email = ARGV[1], ARGV[2]
if redis.call('HSETNX', P .. 'agent_emails', email, id) == 0 then
  return { 'conflict' }
end
redis.call('HSET', P .. 'agents', id, ARGV[3])
-- Routing scripts read these without decoding the record.
redis.call('HSET', P .. 'agent_cap', id, ARGV[4])
redis.call('HSET', P .. 'agent_name', id, ARGV[5])
return { 'ok' }
