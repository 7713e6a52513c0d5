// A C face for three of LEMON's minimum-cost-flow algorithms (Debian's liblemon-dev, LEMON 1.3.1),
// so Swift can call them the way it calls GLPK. Only Sources/PeerMatch/Solvers/Lemon imports it.
#ifndef CLEMON_H
#define CLEMON_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The algorithm: LEMON's NetworkSimplex (block search pivots), CostScaling (augment-relabel)
/// or CapacityScaling.
typedef enum {
    CLEMON_NETWORK_SIMPLEX = 0,
    CLEMON_COST_SCALING = 1,
    CLEMON_CAPACITY_SCALING = 2,
} clemon_algorithm;

/// Outcome of ``clemon_min_cost_flow``.
typedef enum {
    CLEMON_OPTIMAL = 0,
    CLEMON_INFEASIBLE = 1,
    CLEMON_UNBOUNDED = 2,
    CLEMON_ERROR = 3,
} clemon_status;

/// Minimum-cost flow with exact 64-bit integers: arc a goes from source[a] to target[a] with
/// lower[a] <= flow <= upper[a] at cost[a] per unit; node v supplies supply[v] (negative: a
/// demand; supplies sum to zero). On CLEMON_OPTIMAL, flow[a] is the optimal flow and
/// potential[v] a dual solution: every arc with flow strictly inside its bounds has
/// cost + potential[source] - potential[target] == 0 (LEMON's convention).
clemon_status clemon_min_cost_flow(clemon_algorithm algorithm, int32_t node_count, int32_t arc_count,
                                   const int32_t *source, const int32_t *target,
                                   const int64_t *lower, const int64_t *upper, const int64_t *cost,
                                   const int64_t *supply, int64_t *flow, int64_t *potential);

#ifdef __cplusplus
}
#endif

#endif
