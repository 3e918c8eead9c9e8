"""Search over the clauses of every version, instruments' texts and the proposals one may see."""
