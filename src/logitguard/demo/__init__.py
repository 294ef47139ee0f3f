"""`logitguard demo`: train every way of wiring a classifier's head, loss and metric, and show
which ones train badly or report wrong numbers, next to what logitguard says about them.

Needs the `demo` extra (keras, a backend, scikit-learn, matplotlib), imported only when it runs.
"""
