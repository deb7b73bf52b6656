// The umbrella header of the runtime: everything a cogen program uses, and
// what an operation author needs (cogen/scheduler_core.hpp: the tutorials
// write operations from chapter 03 on). Not cogen/scheduler_observer.hpp:
// only tools that watch or drive a scheduler from outside include that one.
#pragma once
#include "cogen/clock.hpp"
#include "cogen/coro.hpp"
#include "cogen/coro_ref.hpp"
#include "cogen/errors.hpp"
#include "cogen/events/add_coro.hpp"
#include "cogen/events/call.hpp"
#include "cogen/events/join.hpp"
#include "cogen/events/pipe.hpp"
#include "cogen/events/pubsub.hpp"
#include "cogen/events/queue.hpp"
#include "cogen/events/signal.hpp"
#include "cogen/events/sleep.hpp"
#include "cogen/events/wait_for_signal.hpp"
#include "cogen/events/yield.hpp"
#include "cogen/instrument.hpp"
#include "cogen/net/net.hpp"
#include "cogen/operation.hpp"
#include "cogen/priority.hpp"
#include "cogen/proactor/proactor.hpp"
#include "cogen/scheduler.hpp"
#include "cogen/scheduler_core.hpp"
#include "cogen/timed_operation.hpp"
#include "cogen/timeout.hpp"
#include "cogen/value.hpp"
