//! GENIUS domain and additive utility profile XML.
