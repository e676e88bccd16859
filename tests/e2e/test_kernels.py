"""The runner's kernels, started for real: a kernel stopped after its notebook leaves no process behind."""

import psutil
from jupyter_client import BlockingKernelClient

from corpuslab import kernels
from corpuslab.resources import PROJECT_ROOT


def test_a_stopped_kernel_takes_its_fork_server_and_files_with_it(tmp_path):
    manager = kernels.start_warm_kernel(kernels.kernel_manager_class(tmp_path, tmp_path.parent / "kernel.log"),
                                        kernels.kernel_name(), PROJECT_ROOT)
    client = BlockingKernelClient()
    client.load_connection_info(manager.get_connection_info())
    client.start_channels()
    reply = client.execute_interactive("from corpuslab.engine import Engine\n"
                               "assert Engine('local', 2).map(abs, [-1, -2]) == [1, 2]", timeout=120)
    client.stop_channels()
    assert reply["content"]["status"] == "ok"
    kernel = psutil.Process(manager.provisioner.process.pid)
    family = [kernel, *kernel.children(recursive=True)]
    assert len(family) > 1, "the pool's fork server runs in the kernel's process group"

    kernels.stop_kernel(manager)

    _, alive = psutil.wait_procs(family, timeout=5)
    assert alive == []
    assert list(tmp_path.iterdir()) == []  # its IPC sockets
