-- Shared prelude, prepended to every script. KEYS[1] is the namespace
-- prefix `{ns}:`: the only declared key, so Redis Cluster routes the script
-- to the slot of the `{ns}` hash tag, which every key below shares.
-- Values are stored as given (strings); timestamps are never re-encoded by
-- Lua, so they keep every digit.
local P = KEYS[1]

local function conv_key(id) return P .. 'conv:' .. id end
local function msgs_key(id) return P .. 'msgs:' .. id end
local function cids_key(id) return P .. 'cids:' .. id end
local function notes_key(id) return P .. 'notes:' .. id end
local function note_ids_key(id) return P .. 'note_ids:' .. id end

-- A conversation as a JSON object of strings (decoded in Rust), or nil.
local function conv_view(id)
  local h = redis.call('HGETALL', conv_key(id))
  if #h == 0 then return nil end
  local t = { id = id }
  for i = 1, #h, 2 do t[h[i]] = h[i + 1] end
  t.last_seq = tostring(redis.call('LLEN', msgs_key(id)))
  local last = redis.call('LINDEX', msgs_key(id), -1)
  if last then t.last = last end
  return cjson.encode(t)
end

-- Byte-wise `a < b`, as Rust orders strings: Lua's `<` uses the server's
-- collation locale.
local function bytes_lt(a, b)
  for i = 1, math.min(#a, #b) do
    local x, y = a:byte(i), b:byte(i)
    if x ~= y then return x < y end
  end
  return #a < #b
end

local function load_of(agent)
  return tonumber(redis.call('HGET', P .. 'loads', agent) or '0')
end

-- Whether an agent may be given a conversation of `site`: enabled, and an
-- admin or one of the site's agents (AgentRecord::serves).
local function serves(id, site)
  if redis.call('SISMEMBER', P .. 'disabled_agents', id) == 1 then return false end
  return redis.call('SISMEMBER', P .. 'admins', id) == 1
    or redis.call('SISMEMBER', P .. 'site_agents:' .. site, id) == 1
end

-- Mirrors store::choose::choose_agent: online agents with load < capacity
-- who serve `site` (any site when nil), least (load, last_assigned, id) wins.
local function choose_agent(site)
  local presence = redis.call('HGETALL', P .. 'presence')
  local best, best_load, best_last
  for i = 1, #presence, 2 do
    local id = presence[i]
    local cap = presence[i + 1] == 'online' and redis.call('HGET', P .. 'agent_cap', id)
    if cap and (site == nil or serves(id, site)) then
      local load = load_of(id)
      local last = tonumber(redis.call('HGET', P .. 'last_assigned', id) or '0')
      if load < tonumber(cap) and (best == nil or load < best_load
          or (load == best_load and (last < best_last
          or (last == best_last and bytes_lt(id, best))))) then
        best, best_load, best_last = id, load, last
      end
    end
  end
  return best
end

local function assign(id, agent, now)
  local ck = conv_key(id)
  redis.call('HINCRBY', P .. 'loads', agent, 1)
  redis.call('HSET', P .. 'last_assigned', agent, now)
  redis.call('LREM', P .. 'queue', 0, id)
  redis.call('HSET', ck, 'status', 'assigned', 'agent', agent,
    'agent_name', redis.call('HGET', P .. 'agent_name', agent))
  redis.call('HDEL', ck, 'queued_at')
  redis.call('HINCRBY', ck, 'version', 1)
  redis.call('SADD', P .. 'assigned:' .. agent, id)
  return conv_view(id)
end

local function enqueue(id, now)
  local ck = conv_key(id)
  local previous = redis.call('HGET', ck, 'agent')
  if previous then redis.call('SREM', P .. 'resolved:' .. previous, id) end
  redis.call('HSET', ck, 'status', 'queued', 'queued_at', now)
  redis.call('HDEL', ck, 'agent', 'agent_name')
  redis.call('HINCRBY', ck, 'version', 1)
  redis.call('RPUSH', P .. 'queue', id)
end

