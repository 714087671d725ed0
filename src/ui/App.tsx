/**
 * The dashboard: header, grid (or a dialog in its place), footer. It reads
 * the store, hands every key to the key handler, and draws; it performs no
 * I/O itself.
 */
import { useMemo, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { Footer } from '../../components/Footer.js';
import { Grid } from '../../components/Grid.js';
import { Header } from '../../components/Header.js';
import { HelpScreen } from '../../components/HelpScreen.js';
import { OverlapBanner } from '../../components/OverlapBanner.js';
import { ConflictsView } from '../../components/ConflictsView.js';
import { conflictItems } from '../core/conflicts.js';
import { SpawnDialog } from '../../components/SpawnDialog.js';
import { EscalateDialog } from '../../components/EscalateDialog.js';
import { DiffView } from '../../components/DiffView.js';
import { MergeDialog } from '../../components/MergeDialog.js';

import { ProposalBanner } from '../../components/ProposalBanner.js';
import { PredictedBanner } from '../../components/PredictedBanner.js';
import { escalationTarget, proposedAgent } from './escalate-state.js';
import { useDashboardState, useNow } from './hooks.js';
import type { KeyHandler } from './input.js';
import { RowEncoder } from './sgr.js';
import type { Keymap } from './keymap.js';
import { footerHints, helpRows } from './keymap.js';
import type { DashboardState, GridView } from './state.js';
import { HEADER_ROWS, FOOTER_ROWS, bannerRows, gridView, openOverlaps, openPredictions } from './state.js';
import type { DashboardStore } from './store.js';

export interface AppProps {
  store: DashboardStore;
  keymap: Keymap;
  onKey: KeyHandler;
  repoName: string;
  /** Where spawned agents start, shown in the spawn dialog. */
  cwd: string;
  /** The detach key as configured, for the help screen. */
  detachKey: string;
  clock?: () => number;
}

interface BodyProps {
  state: DashboardState;
  view: GridView;
  now: number;
  keymap: Keymap;
  cwd: string;
  detachKey: string;
  encoder: RowEncoder;
}

function Body({ state, view, now, keymap, cwd, detachKey, encoder }: BodyProps) {
  const mode = state.mode;
  switch (mode.kind) {
    case 'help':
      return <HelpScreen rows={helpRows(keymap)} detachKey={detachKey} width={view.width} height={view.height} />;
    case 'overlaps':
      return <ConflictsView items={conflictItems(state.overlaps, state.conflicts)} cursor={mode.cursor} agents={state.all} now={now} height={view.height} closeKey={keymap.bindings.overlaps.keys[0] ?? 'o'} />;
    case 'spawn':
      return <SpawnDialog form={mode.form} cwd={cwd} width={view.width} height={view.height} />;
    case 'confirmKill':
      return (
        <ConfirmDialog
          question={mode.remove ? `Remove ${mode.name} from the list?` : `Kill ${mode.name}?`}
          detail={mode.remove ? 'It has exited; its screen goes too.' : 'It gets SIGHUP, then SIGKILL if it does not stop.'}
          width={view.width}
          height={view.height}
        />
      );
    case 'escalate':
      return <EscalateDialog form={mode.form} width={view.width} height={view.height} />;
    case 'merge':
      return <MergeDialog form={mode.form} width={view.width} height={view.height} />;
    case 'diff':
      return mode.error ? (
        <LoadError title={mode.title} text={mode.error} />
      ) : (
        <DiffView rows={mode.rows ?? []} offset={mode.offset} height={view.height} width={view.width} title={mode.title} hint="↑↓/jk scroll · PgUp/PgDn · [ ] file · g/G ends · q close" />
      );
    case 'confirmStopAll':
      return (
        <ConfirmDialog
          question={`Stop the fanout server and all ${state.agents.length} agents?`}
          detail="Every agent is killed; `fanout` starts a fresh server."
          width={view.width}
          height={view.height}
        />
      );
    default:
      return <Grid state={state} view={view} now={now} encoder={encoder} />;
  }
}

/** A view that failed to load: its title and why, in red; any key goes back. */
function LoadError({ title, text }: { title: string; text: string }) {
  return (
    <Box flexDirection="column">
      <Text bold>{title}</Text>
      <Text color="red">{text}</Text>
      <Text dimColor>q to close</Text>
    </Box>
  );
}

const realClock = () => Date.now();

export function App({ store, keymap, onKey, repoName, cwd, detachKey, clock = realClock }: AppProps) {
  const state = useDashboardState(store);
  const now = useNow(clock);
  // One encoder per app: its cache lives and dies with the rows it encoded.
  const [encoder] = useState(() => new RowEncoder());
  useInput(onKey);
  const view = gridView(state);
  const paging = view.pages > 1;
  const hints = useMemo(() => footerHints(keymap, { paging }), [keymap, paging]);
  const banner = bannerRows(state) > 0 ? openOverlaps(state) : [];
  const key = (id: 'overlap.tell' | 'overlap.ack' | 'overlaps' | 'escalate') => keymap.bindings[id].keys[0] ?? '?';
  const proposed = bannerRows(state) > 0 ? proposedAgent(state) : undefined;
  const predicted = bannerRows(state) > 0 ? openPredictions(state) : [];
  return (
    <Box flexDirection="column" width={view.width} height={view.height + HEADER_ROWS + FOOTER_ROWS + bannerRows(state)}>
      <Header repoName={repoName} agents={state.all} shown={state.agents.length} filter={state.filter} sort={state.sort} page={view.page} pages={view.pages} zoomed={state.zoomed} width={view.width} />
      {proposed?.proposal ? (
        <ProposalBanner name={proposed.name} reason={proposed.proposal} keys={{ escalate: key('escalate') }} />
      ) : banner[0] ? (
        <OverlapBanner overlap={banner[0]} agents={state.all} open={banner.length} keys={{ tell: key('overlap.tell'), ack: key('overlap.ack'), list: key('overlaps'), escalate: key('escalate') }}
          escalateName={banner[0].actors.some((a) => a.startsWith('agent:')) ? escalationTarget(state)?.name : undefined}
        />
      ) : predicted[0] ? (
        <PredictedBanner conflict={predicted[0]} open={predicted.length} keys={{ list: key('overlaps') }} />
      ) : null}
      <Body state={state} view={view} now={now} keymap={keymap} cwd={cwd} detachKey={detachKey} encoder={encoder} />
      <Footer hints={hints} flash={state.flash} now={now} width={view.width} />
    </Box>
  );
}
