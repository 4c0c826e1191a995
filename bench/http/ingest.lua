-- wrk script: POST batches of 1,000 new events (200 interactions x 5 events: created, end-user message,
-- offer accepted, agent reply, solved) as a JSON array. Every id is unique across threads and requests.
-- Usage: wrk -s ingest.lua URL -- TOKEN
local thread_counter = 0
function setup(thread)
  thread_counter = thread_counter + 1
  thread:set("tid", thread_counter)
end

function init(args)
  token = args[1] or ""
  batch = 0
  channels = { "email", "messaging", "chat", "voice", "whatsapp" }
end

local function event(parts)
  return "{" .. table.concat(parts, ",") .. "}"
end

function request()
  batch = batch + 1
  local events = {}
  local base = 1780000000 + (tid * 100000 + batch) * 7
  for i = 1, 200 do
    local iid = string.format("%d-%d-%d", tid, batch, i)
    local t = base + i
    local at = function(s) return string.format('"occurred_at":"%s"', os.date("!%Y-%m-%dT%H:%M:%SZ", t + s)) end
    local agent = tostring(9000 + (i % 50))
    events[#events + 1] = event({ '"id":"' .. iid .. '-c"', '"type":"interaction.created"', at(0), '"interaction_id":"' .. iid .. '"',
      '"channel":"' .. channels[(i % 5) + 1] .. '"', '"requester":{"id":"' .. (500 + i) .. '","name":"Customer ' .. i .. '"}', '"group_id":"' .. (i % 7) .. '"' })
    events[#events + 1] = event({ '"id":"' .. iid .. '-m1"', '"type":"message.created"', at(5), '"interaction_id":"' .. iid .. '"', '"author_type":"end_user"' })
    events[#events + 1] = event({ '"id":"' .. iid .. '-a"', '"type":"offer.accepted"', at(20), '"interaction_id":"' .. iid .. '"', '"agent_id":"' .. agent .. '"', '"agent_name":"Agent ' .. agent .. '"' })
    events[#events + 1] = event({ '"id":"' .. iid .. '-m2"', '"type":"message.created"', at(80), '"interaction_id":"' .. iid .. '"', '"author_type":"agent"', '"author_id":"' .. agent .. '"' })
    events[#events + 1] = event({ '"id":"' .. iid .. '-s"', '"type":"status.changed"', at(300), '"interaction_id":"' .. iid .. '"', '"status":"solved"' })
  end
  local body = "[" .. table.concat(events, ",") .. "]"
  return wrk.format("POST", nil, { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  if status ~= 200 then
    io.stderr:write("status " .. status .. ": " .. string.sub(body, 1, 200) .. "\n")
  end
end
