-- ARGV: agent id. Deletes the account, its sessions and indexes. Its
-- conversations must have been requeued first (Routing does).
-- Reply: ok | not_found | last_admin.
local id = ARGV[1]
local current = redis.call('HGET', P .. 'agents', id)
if not current then return { 'not_found' } end
if redis.call('SISMEMBER', P .. 'admins', id) == 1 and redis.call('SCARD', P .. 'admins') == 1 then
  return { 'last_admin' }
end
local old = cjson.decode(current)
redis.call('HDEL', P .. 'agent_emails', old.email)
for _, site in ipairs(old.sites or {}) do
  redis.call('SREM', P .. 'site_agents:' .. site, id)
end
for _, h in ipairs(redis.call('SMEMBERS', P .. 'agent_sessions:' .. id)) do
  redis.call('DEL', P .. 'session:' .. h)
end
redis.call('DEL', P .. 'agent_sessions:' .. id, P .. 'hb:' .. id)
-- Their personal canned responses (few: read them all).
local canned = redis.call('HGETALL', P .. 'canned')
for i = 1, #canned, 2 do
  local c = cjson.decode(canned[i + 1])
  if c.scope.kind == 'personal' and c.owner == id then
    redis.call('HDEL', P .. 'canned', canned[i])
  end
end
redis.call('SREM', P .. 'admins', id)
redis.call('SREM', P .. 'disabled_agents', id)
for _, h in ipairs({ 'agents', 'agent_cap', 'agent_name', 'presence', 'loads', 'last_assigned' }) do
  redis.call('HDEL', P .. h, id)
end
return { 'ok' }
