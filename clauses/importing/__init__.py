"""Reading treaty texts into clauses. Plain Python: nothing here imports Django."""
