// SPDX-License-Identifier: GPL-2.0
#include "softresctl.h"

int main(int argc, char **argv)
{
	return softresctl_main(argc, argv);
}
