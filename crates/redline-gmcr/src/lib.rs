//! Stability lens: the Graph Model for Conflict Resolution (DESIGN §3).
