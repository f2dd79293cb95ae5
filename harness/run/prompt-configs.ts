// The prompt builders' data (configs/protocols/*.json), hashed into every run's configuration so a
// changed prompt string or generation limit is never mixed into an old run.
import cogvlm2 from '../../configs/protocols/cogvlm2.json' with { type: 'json' };
import lmmsEval from '../../configs/protocols/lmms-eval.json' with { type: 'json' };
import lmmsEval2024 from '../../configs/protocols/lmms-eval-2024-05.json' with { type: 'json' };
import vlmevalkit from '../../configs/protocols/vlmevalkit.json' with { type: 'json' };
import vlmevalkit2024 from '../../configs/protocols/vlmevalkit-2024-05.json' with { type: 'json' };
import officialMmmu from '../../configs/protocols/official-mmmu.json' with { type: 'json' };

export default { cogvlm2, lmmsEval, lmmsEval2024, vlmevalkit, vlmevalkit2024, officialMmmu };
