//! The gmcr-py `.gmcr` JSON format.
