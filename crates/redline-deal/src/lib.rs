//! Deal lens: outcome space, red lines, ZOPA, Pareto frontier, solutions, phased plans (DESIGN §4).
