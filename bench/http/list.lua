-- wrk script: GET a page of 100 engagements with a token.
-- Usage: wrk -s list.lua URL -- TOKEN [PATH]
function init(args)
  local token = args[1] or ""
  wrk.path = args[2] or "/api/v2/engagements?page_size=100"
  wrk.headers["Authorization"] = "Bearer " .. token
end

function response(status, headers, body)
  if status ~= 200 then
    io.stderr:write("status " .. status .. "\n")
  end
end
