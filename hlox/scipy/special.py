"""``hlox.scipy.special``: erf, gammaln, logsumexp, ...

(see hlox.frontend.libraries.scipy_special)
"""

from hlox.frontend.libraries.scipy_special import *  # noqa: F401,F403
from hlox.frontend.libraries.scipy_special import __all__  # noqa: F401
