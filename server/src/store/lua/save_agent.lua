-- Inserts or updates an agent, keeping every index in step.
-- ARGV: id, expected record JSON ('' to insert a new agent), new record
-- JSON, email, capacity, name, role, disabled ('1'/'0'), then the site ids.
-- Reply: ok | retry (the record changed since it was read) | conflict
-- (email taken; or, inserting, the id exists) | last_admin.
local id, expected, record = ARGV[1], ARGV[2], ARGV[3]
local email, capacity, name, role, disabled = ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local current = redis.call('HGET', P .. 'agents', id)
if expected == '' then
  if current then return { 'conflict' } end
elseif current ~= expected then
  return { 'retry' }
end
local owner = redis.call('HGET', P .. 'agent_emails', email)
if owner and owner ~= id then return { 'conflict' } end
-- An admin may stop being one only while another enabled admin remains.
local active_admin = role == 'admin' and disabled == '0'
if not active_admin and redis.call('SISMEMBER', P .. 'admins', id) == 1
    and redis.call('SCARD', P .. 'admins') == 1 then
  return { 'last_admin' }
end
if current then
  local old = cjson.decode(current)
  if old.email ~= email then redis.call('HDEL', P .. 'agent_emails', old.email) end
  for _, site in ipairs(old.sites or {}) do
    redis.call('SREM', P .. 'site_agents:' .. site, id)
  end
end
redis.call('HSET', P .. 'agent_emails', email, id)
for i = 9, #ARGV do redis.call('SADD', P .. 'site_agents:' .. ARGV[i], id) end
if active_admin then
  redis.call('SADD', P .. 'admins', id)
else
  redis.call('SREM', P .. 'admins', id)
end
if disabled == '1' then
  redis.call('SADD', P .. 'disabled_agents', id)
  redis.call('HDEL', P .. 'presence', id)
else
  redis.call('SREM', P .. 'disabled_agents', id)
end
redis.call('HSET', P .. 'agents', id, record)
-- Routing scripts read these without decoding the record.
redis.call('HSET', P .. 'agent_cap', id, capacity)
redis.call('HSET', P .. 'agent_name', id, name)
return { 'ok' }
