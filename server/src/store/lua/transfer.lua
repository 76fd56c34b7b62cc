-- ARGV: conversation id, from ('' for a supervisor's transfer), target
-- kind (agent | team | supervisor), target id ('' for supervisor), now.
-- Reply: ok, conversation | not_found | forbidden | not_assigned | resolved
-- | agent_unavailable | at_capacity | no_supervisor.
-- Mirrors store::embedded::sql::transfer.
local id, from, kind, target, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local ck = conv_key(id)
local c = redis.call('HMGET', ck, 'status', 'agent', 'site')
if not c[1] then return { 'not_found' } end
if c[1] == 'resolved' then return { 'resolved' } end
if c[1] ~= 'assigned' or not c[2] then return { 'not_assigned' } end
local holder, site = c[2], c[3]
if from ~= '' and from ~= holder then return { 'forbidden' } end

local function release()
  redis.call('HINCRBY', P .. 'loads', holder, -1)
  redis.call('SREM', P .. 'assigned:' .. holder, id)
end

if kind == 'team' then
  if redis.call('HEXISTS', P .. 'teams', target) == 0 then return { 'not_found' } end
  release()
  redis.call('HSET', ck, 'status', 'queued', 'team', target, 'queued_at', now)
  redis.call('HDEL', ck, 'agent', 'agent_name')
  redis.call('HINCRBY', ck, 'version', 1)
  redis.call('LPUSH', P .. 'queue', id)
  return { 'ok', conv_view(id) }
end

if kind == 'agent' then
  local cap = redis.call('HGET', P .. 'agent_cap', target)
  if not cap then return { 'not_found' } end
  local presence = redis.call('HGET', P .. 'presence', target)
  if not serves(target, site) or target == holder
      or (presence ~= 'online' and presence ~= 'away') then
    return { 'agent_unavailable' }
  end
  if load_of(target) >= tonumber(cap) then return { 'at_capacity' } end
else
  local serving = {}
  for _, s in ipairs(online_staff(function(p) return p == 'online' end)) do
    if serves(s.id, site) then serving[#serving + 1] = s end
  end
  local chosen = choose_supervisor(serving, holder)
  if not chosen then return { 'no_supervisor' } end
  target = chosen.id
end
release()
redis.call('HINCRBY', P .. 'loads', target, 1)
redis.call('HSET', P .. 'last_assigned', target, now)
redis.call('SADD', P .. 'assigned:' .. target, id)
redis.call('HSET', ck, 'agent', target, 'agent_name', redis.call('HGET', P .. 'agent_name', target))
redis.call('HINCRBY', ck, 'version', 1)
return { 'ok', conv_view(id) }
