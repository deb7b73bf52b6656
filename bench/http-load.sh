# http-load.sh — shared by the scripts that put wrk load on one bench server
# (callgrind-http.sh, perf-user-http.sh, thread-cpu-http.sh); sourced, not run. Needs bash.
#
#   http_load NAME LOAD    sets conns, depth, pipeline=() and post=() (wrk's arguments for
#                          pipelined requests) from LOAD = cN or cNpD; exits 2 on a bad LOAD
#   wait_listening PID PORT TRIES
#                          returns 0 once 127.0.0.1:PORT accepts a connection, 1 when PID
#                          has exited or TRIES tries 0.2 s apart have failed
#   start_pinned_server NAME SERVER PROACTOR
#                          starts SERVER --port P --proactor PROACTOR $SERVER_ARGS on CPU 0
#                          at a random free port; sets srv (its pid) and port, or exits 1
#                          after five tries

http_load() {
  local name=$1 load=$2
  [[ $load =~ ^c([0-9]+)(p([0-9]+))?$ ]] || { echo "$name: bad LOAD '$load'" >&2; exit 2; }
  conns=${BASH_REMATCH[1]}
  depth=${BASH_REMATCH[3]:-1}
  pipeline=()
  post=()
  if [ "$depth" -gt 1 ]; then
    pipeline=(-s "$(dirname "${BASH_SOURCE[0]}")/wrk-pipeline.lua")
    post=(-- "$depth")
  fi
}

wait_listening() {
  local pid=$1 port=$2 tries=$3
  for _ in $(seq 1 "$tries"); do
    sleep 0.2
    kill -0 "$pid" 2>/dev/null || return 1
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
  done
  return 1
}

start_pinned_server() {
  local name=$1 server=$2 proactor=$3
  # A port another process holds makes the server exit at once: try another.
  for _ in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 20000))
    # shellcheck disable=SC2086 # SERVER_ARGS is a list of words
    taskset -c 0 "$server" --port "$port" --proactor "$proactor" ${SERVER_ARGS:-} >/dev/null 2>&1 &
    srv=$!
    wait_listening "$srv" "$port" 25 && return 0
    kill -TERM "$srv" 2>/dev/null || true
    wait "$srv" 2>/dev/null || true
    srv=
  done
  echo "$name: the server did not start" >&2
  exit 1
}
