"""torch.nn.functional has no recurrent layers; the cells are torch.rnn_tanh_cell,
torch.lstm_cell, torch.gru_cell (refimpl/_refs/nnlayers.py) and the layers nn.RNN, nn.LSTM,
nn.GRU (refimpl/nn/modules/rnn.py)."""

__all__ = []
