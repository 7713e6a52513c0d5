// Calls LEMON's min-cost-flow templates on a static digraph built from arc arrays. Exceptions
// never cross into Swift: any is reported as CLEMON_ERROR.
#include "clemon.h"

#include <lemon/capacity_scaling.h>
#include <lemon/cost_scaling.h>
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <vector>

namespace {

using Graph = lemon::SmartDigraph;

template <typename Algorithm>
clemon_status solve(Algorithm &alg, const Graph &g, const std::vector<Graph::Arc> &arcs,
                    const std::vector<Graph::Node> &nodes, int64_t *flow, int64_t *potential) {
    typename Algorithm::ProblemType r = alg.run();
    if (r == Algorithm::INFEASIBLE) return CLEMON_INFEASIBLE;
    if (r == Algorithm::UNBOUNDED) return CLEMON_UNBOUNDED;
    for (size_t a = 0; a < arcs.size(); ++a) flow[a] = alg.flow(arcs[a]);
    for (size_t v = 0; v < nodes.size(); ++v) potential[v] = alg.potential(nodes[v]);
    (void)g;
    return CLEMON_OPTIMAL;
}

}  // namespace

extern "C" clemon_status clemon_min_cost_flow(clemon_algorithm algorithm, int32_t node_count, int32_t arc_count,
                                              const int32_t *source, const int32_t *target,
                                              const int64_t *lower, const int64_t *upper, const int64_t *cost,
                                              const int64_t *supply, int64_t *flow, int64_t *potential) {
    try {
        Graph g;
        g.reserveNode(node_count);
        g.reserveArc(arc_count);
        std::vector<Graph::Node> nodes(node_count);
        for (int32_t v = 0; v < node_count; ++v) nodes[v] = g.addNode();
        std::vector<Graph::Arc> arcs(arc_count);
        for (int32_t a = 0; a < arc_count; ++a) arcs[a] = g.addArc(nodes[source[a]], nodes[target[a]]);
        Graph::ArcMap<int64_t> lo(g), up(g), c(g);
        Graph::NodeMap<int64_t> sup(g);
        for (int32_t a = 0; a < arc_count; ++a) { lo[arcs[a]] = lower[a]; up[arcs[a]] = upper[a]; c[arcs[a]] = cost[a]; }
        for (int32_t v = 0; v < node_count; ++v) sup[nodes[v]] = supply[v];
        switch (algorithm) {
        case CLEMON_NETWORK_SIMPLEX: {
            lemon::NetworkSimplex<Graph, int64_t, int64_t> alg(g);
            alg.lowerMap(lo).upperMap(up).costMap(c).supplyMap(sup);
            return solve(alg, g, arcs, nodes, flow, potential);
        }
        case CLEMON_COST_SCALING: {
            lemon::CostScaling<Graph, int64_t, int64_t> alg(g);
            alg.lowerMap(lo).upperMap(up).costMap(c).supplyMap(sup);
            return solve(alg, g, arcs, nodes, flow, potential);
        }
        case CLEMON_CAPACITY_SCALING: {
            lemon::CapacityScaling<Graph, int64_t, int64_t> alg(g);
            alg.lowerMap(lo).upperMap(up).costMap(c).supplyMap(sup);
            return solve(alg, g, arcs, nodes, flow, potential);
        }
        }
        return CLEMON_ERROR;
    } catch (...) {
        return CLEMON_ERROR;
    }
}
