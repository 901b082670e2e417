//! Negotiation lens: protocols, agents, tournaments (DESIGN §5).
