"""torch.nn.functional: the stateless forms of the nn layers and losses."""

from ._functional.activation import *  # noqa: F403
from ._functional.conv import *  # noqa: F403
from ._functional.dropout import *  # noqa: F403
from ._functional.embedding import *  # noqa: F403
from ._functional.interpolate import *  # noqa: F403
from ._functional.linear import *  # noqa: F403
from ._functional.loss import *  # noqa: F403
from ._functional.normalization import *  # noqa: F403
from ._functional.padding import *  # noqa: F403
from ._functional.pooling import *  # noqa: F403
from ._functional.rnn import *  # noqa: F403
from ._functional.sampling import *  # noqa: F403
