// `voxlab demo`: create the bundled demo study once (in voxlab's data folder) and show what it holds.

import { openStudy } from '../../datastore/index.js';
import { ensureDemoStudy, voxlabHome } from '../../synth/demoStudy.js';
import { stringOption, type Command } from '../command.js';
import { ProgressBar } from '../progress.js';

export const demoCommand: Command = {
  name: 'demo',
  usage: '[--home DIR]',
  summary: 'Create (on first run) and summarise the demo study: synthetic phantoms, partly labeled.',
  positionals: [0, 0],
  options: {
    home: { type: 'string', help: "voxlab's data folder (default: $VOXLAB_HOME, else $XDG_DATA_HOME/voxlab, else ~/.local/share/voxlab)" },
  },
  async run(args) {
    const bar = new ProgressBar({ label: 'demo study' });
    const demo = await ensureDemoStudy(stringOption(args, 'home') ?? voxlabHome(), bar.update);
    bar.finish();
    const study = openStudy(demo.dir);
    try {
      const images = study.listImages();
      const byStatus = new Map<string, number>();
      const byLabel = new Map<string, number>();
      for (const img of images) {
        byStatus.set(img.status, (byStatus.get(img.status) ?? 0) + 1);
        if (img.label !== null) byLabel.set(img.label, (byLabel.get(img.label) ?? 0) + 1);
      }
      const first = images[0];
      const lines = [
        `${demo.created ? 'created' : 'opened'} the demo study: ${demo.dir}`,
        `images   ${images.length} (${[...byStatus].map(([s, n]) => `${n} ${s}`).join(', ')})`,
        `labels   ${[...byLabel].map(([l, n]) => `${l}: ${n}`).join(', ')}`,
        '',
        'try:',
        first ? `  npx voxlab info ${study.getImage(first.id).path}` : '',
        `  npx voxlab train --study ${demo.dir} --model tiny --size 32 --epochs 2`,
        `  npx voxlab export --study ${demo.dir} --out datalist.json`,
        'The desktop viewer, inference and explanation arrive with the next releases (see README).',
      ];
      process.stdout.write(`${lines.filter((l, n) => l !== '' || n === 3).join('\n')}\n`);
      return 0;
    } finally {
      study.close();
    }
  },
};
