#!/usr/bin/python3
"""Golden for src/eval/logistic-regression.ts: sklearn's LogisticRegression (multinomial, L2, lbfgs) on a small
overlapping 3-class set, with macro-F1 from sklearn.metrics. sklearn's lbfgs stops on scipy's ftol (64 eps) with a
gradient of ~1e-5 left, so the script also polishes its solution with scipy's BFGS on the same objective divided by
C n (gradient < 1e-9) and stores both: the TypeScript fit must match sklearn to its own precision and the polished
optimum closely.

Writes test/fixtures/goldens/logreg.json.
Usage: /usr/bin/python3 tools/check-logreg.py   (Debian's python3-sklearn; `npm test` never runs this)
"""
import json
import os

import numpy as np
from scipy.optimize import minimize
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'goldens', 'logreg.json')

rng = np.random.default_rng(1234)
n, d, k = 90, 6, 3
centers = rng.normal(0, 1.0, size=(k, d))
y = np.arange(n) % k
X = (centers[y] + rng.normal(0, 1.5, size=(n, d))).astype(np.float32).astype(np.float64)


def objective(theta, C):
    """1/n sum CE + 1/(2 C n) ||W||^2 and its gradient; theta = [W (k*d), b (k)]."""
    W = theta[:k * d].reshape(k, d)
    b = theta[k * d:]
    S = X @ W.T + b
    S = S - S.max(axis=1, keepdims=True)
    P = np.exp(S)
    Z = P.sum(axis=1, keepdims=True)
    P /= Z
    loss = (np.log(Z[:, 0]) - S[np.arange(n), y]).mean() + (W * W).sum() / (2 * C * n)
    G = (P - np.eye(k)[y]) / n
    return loss, np.concatenate([(G.T @ X + W / (C * n)).ravel(), G.sum(axis=0)])


cases = []
for C in (0.05, 1.0, 20.0):
    m = LogisticRegression(C=C, solver='lbfgs', tol=1e-12, max_iter=100000)  # multinomial for k > 2 (sklearn 1.2 'auto')
    m.fit(X, y)
    pred = m.predict(X)
    start = np.concatenate([m.coef_.ravel(), m.intercept_])
    polished = minimize(objective, start, args=(C,), jac=True, method='L-BFGS-B', options={'gtol': 1e-13, 'ftol': 0, 'maxiter': 100000, 'maxcor': 30}).x
    assert np.abs(objective(polished, C)[1]).max() < 1e-9
    assert np.abs(polished - start).max() < 1e-3
    cases.append({
        'C': C,
        'coef': m.coef_.tolist(),
        'intercept': m.intercept_.tolist(),
        'sklearnGradient': float(np.abs(objective(start, C)[1]).max()),
        'optimum': polished.tolist(),
        'sklearnDistance': float(np.abs(polished - start).max()),
        'predicted': pred.tolist(),
        'accuracy': accuracy_score(y, pred),
        'macroF1': f1_score(y, pred, average='macro'),
    })
# macro-F1 where one class is never predicted and one predicted class is absent from the truth
truth = [0, 0, 1, 1, 2, 2, 2]
guess = [0, 1, 1, 1, 2, 3, 3]
f1_case = {'truth': truth, 'predicted': guess, 'macroF1': f1_score(truth, guess, average='macro'), 'accuracy': accuracy_score(truth, guess)}
with open(OUT, 'w') as f:
    json.dump({'X': X.tolist(), 'y': y.tolist(), 'classes': k, 'cases': cases, 'f1': f1_case, 'sklearn': __import__('sklearn').__version__}, f)
    f.write('\n')
print('wrote', OUT)
