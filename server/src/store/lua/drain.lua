-- ARGV: now, language fallback (ms). Reply: ok, then each assigned
-- conversation, in queue order. Mirrors store::embedded::sql::drain: a
-- conversation nobody may take now keeps its place and the next one is
-- tried; the loop ends when nobody online has room.
local now, fallback = tonumber(ARGV[1]), tonumber(ARGV[2])
-- Every node drains every few seconds (the language fallback): an empty
-- queue must cost next to nothing.
if redis.call('LLEN', P .. 'queue') == 0 then return { 'ok' } end
local staff = online_staff(function(p) return p == 'online' end)
local function anyone_has_room()
  for _, c in ipairs(staff) do
    if c.load < c.cap then return true end
  end
  return false
end
local out = { 'ok' }
for _, id in ipairs(redis.call('LRANGE', P .. 'queue', 0, -1)) do
  if not anyone_has_room() then break end
  local c = redis.call('HMGET', conv_key(id), 'site', 'team', 'queued_at', 'visitor', 'returning')
  local site, team = c[1], c[2] or nil
  if site then
    if team and redis.call('HEXISTS', P .. 'teams', team) == 0 then team = nil end
    local language = c[4] and language_of(present(cjson.decode(c[4]).locale))
    local waited = now - tonumber(c[3] or '0')
    local serving = {}
    for _, s in ipairs(staff) do
      if serves(s.id, site) then serving[#serving + 1] = s end
    end
    local agent = choose_agent(serving, team, language, waited >= fallback, c[5])
    if agent then
      out[#out + 1] = assign(id, agent.id, ARGV[1])
      agent.load = agent.load + 1
      agent.last = now
    end
  end
end
return out
