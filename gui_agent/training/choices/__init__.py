"""The check-box/radio verifier (``models/choice_check.onnx``): crops, model, training, evaluation.

``crops`` cuts labelled indicator crops from training-split synth screens (the detector's own
detections and the ground truth), ``model`` is the small CNN, ``evaluation`` scores crop sets
and picks the threshold, ``train`` trains, exports to ONNX and writes the manifest record:

    python -m gui_agent.training.choices.train --help
"""
