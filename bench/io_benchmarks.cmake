# The I/O benchmarks: cogen-bench-http (sockets, every proactor), cogen-bench-idle
# (memory per idle connection) and
# cogen-bench-timers (the timer heap). Included by CMakeLists.txt, which
# defines cogen_add_bench (-O2, output in build/bench/).
cogen_add_bench(cogen-bench-http http_bench.cpp)
cogen_add_bench(cogen-bench-timers timers_bench.cpp)
cogen_add_bench(cogen-bench-idle idle_bench.cpp)
