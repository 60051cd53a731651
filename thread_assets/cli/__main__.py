from thread_assets.cli import main

raise SystemExit(main())
